import { Anchor } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, call } from '../../api/client';
import { appealKeys } from './queries';

/** A link to an appeal: its number once read (an appeal of another department stays an id). */
export function AppealLink({ name }: { name: string }) {
  const id = name.replace(/^appeals\//, '');
  const q = useQuery({
    queryKey: appealKeys.one(id),
    queryFn: ({ signal }) => call(api().GET('/v1/appeals/{name}', { params: { path: { name: id } }, signal })),
    retry: false,
    staleTime: 60_000,
  });
  return (
    <Anchor component={Link} to={`/${name}`} size="sm" ff={q.data?.registrationNumber ? undefined : 'monospace'} data-testid="appeal-link" style={{ whiteSpace: 'nowrap' }}>
      {q.data?.registrationNumber ? `№ ${q.data.registrationNumber}` : `${id.slice(0, 8)}…`}
    </Anchor>
  );
}
