import { Anchor, Button, Group, Loader, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { MeetingPlan } from '../../api/types';
import { usePrincipal } from '../../auth/AuthContext';
import { approvesPlans, proposesMeetings } from '../../auth/principal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { Refusal } from '../../components/Refusal';
import { ApiError } from '../../api/errors';
import { formatDateTime } from '../../lib/time';
import { useToday } from '../../lib/useToday';
import { addMonths } from './calendar';
import { parsePlanId, planId, planIdOf } from './model';
import { PlanStateBadge, formatMonthLong } from './parts';
import { useCreatePlan, usePlans } from './queries';
import './texts';

/**
 * The plans of meetings: quick links to this and the next months' plans, the plans awaiting the
 * vice-mayor's approval, all plans, and opening an election period's additional schedule.
 */
export default function PlansPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const today = useToday();
  const principal = usePrincipal();
  const all = usePlans();
  const thisMonth = { year: today.year, month: today.month };
  const quick = [0, 1, 2].map((n) => addMonths(thisMonth, n));
  const submitted = (all.data ?? []).filter((p) => p.state === 'MEETING_PLAN_STATE_SUBMITTED');

  return (
    <Stack gap="md">
      <PageTitle>{t('outreach.plans.title')}</PageTitle>
      <Group gap="sm">
        {quick.map((m) => (
          <Button key={planIdOf(m)} component={Link} to={`/meetings/plans/${planIdOf(m)}`} variant="light" data-testid={`open-plan-${planIdOf(m)}`}>
            {t('outreach.plans.openMonth', { month: formatMonthLong(m.year, m.month, lang) })}
          </Button>
        ))}
      </Group>
      {approvesPlans(principal) && (
        <Paper withBorder radius="md" p="md" component="section" aria-labelledby="to-approve" data-testid="plans-to-approve">
          <Title order={2} size="h4" id="to-approve" mb="sm">
            {t('outreach.plans.toApprove')}
          </Title>
          {all.isPending ? <Loader size="sm" /> : submitted.length === 0 ? <Text size="sm" c="dimmed">{t('outreach.plans.toApproveNone')}</Text> : <PlansTable plans={submitted} />}
        </Paper>
      )}
      <Paper withBorder radius="md" p="md" component="section" aria-labelledby="all-plans">
        <Title order={2} size="h4" id="all-plans" mb="sm">
          {t('outreach.plans.all')}
        </Title>
        {all.isError && <ErrorAlert error={all.error} onRetry={() => void all.refetch()} />}
        {all.isPending ? <Loader size="sm" /> : (all.data ?? []).length === 0 ? <Text size="sm" c="dimmed">{t('outreach.plans.empty')}</Text> : <PlansTable plans={all.data ?? []} />}
      </Paper>
      {proposesMeetings(principal) && <ElectionPanel months={[0, 1, 2, 3, 4, 5].map((n) => addMonths(thisMonth, n))} />}
    </Stack>
  );
}

function PlansTable({ plans }: { plans: MeetingPlan[] }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing={6} highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('outreach.plans.month')}</Table.Th>
            <Table.Th>{t('outreach.plans.state')}</Table.Th>
            <Table.Th ta="right">{t('outreach.plans.meetings')}</Table.Th>
            <Table.Th>{t('outreach.plans.submitted')}</Table.Th>
            <Table.Th>{t('outreach.plans.approved')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {plans.map((p) => {
            const id = planId(p.name);
            const parsed = parsePlanId(id);
            return (
              <Table.Tr key={p.name}>
                <Table.Td>
                  <Anchor component={Link} to={`/meetings/plans/${id}`} size="sm" fw={500}>
                    {p.displayName || (parsed ? formatMonthLong(parsed.month.year, parsed.month.month, lang) : id)}
                  </Anchor>
                  {p.electionPeriod && (
                    <Text span size="xs" c="dimmed" ml={6}>
                      ({t('outreach.plans.electionShort')})
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <PlanStateBadge state={p.state} />
                </Table.Td>
                <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {p.meetingCount ?? 0}
                </Table.Td>
                <Table.Td>
                  <Text size="xs">{formatDateTime(p.submitTime, lang)}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="xs">{[formatDateTime(p.approveTime, lang), p.approverName].filter(Boolean).join(' · ')}</Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function ElectionPanel({ months }: { months: { year: number; month: number }[] }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const create = useCreatePlan();
  const [month, setMonth] = useState(planIdOf(months[0]));
  const go = () => navigate(`/meetings/plans/${month}-election`);
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="election">
      <Title order={2} size="h4" id="election" mb={4}>
        {t('outreach.plans.election')}
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        {t('outreach.plans.createElectionHint')}
      </Text>
      <Group align="flex-end" gap="sm">
        <Select
          label={t('outreach.plans.month')}
          data={months.map((m) => ({ value: planIdOf(m), label: formatMonthLong(m.year, m.month, i18n.language) }))}
          value={month}
          allowDeselect={false}
          onChange={(v) => setMonth(v ?? month)}
          w={220}
        />
        <Button
          variant="default"
          loading={create.isPending}
          data-testid="create-election"
          onClick={() => {
            const parsed = parsePlanId(month)!;
            create.mutate(
              { year: parsed.month.year, month: parsed.month.month, electionPeriod: true },
              {
                onSuccess: go,
                // Already open: just go there.
                onError: (e) => e instanceof ApiError && (e.httpStatus === 409 || e.status === 'ALREADY_EXISTS') && go(),
              },
            );
          }}
        >
          {t('outreach.plans.createElection')}
        </Button>
      </Group>
      {create.error && !(create.error instanceof ApiError && create.error.httpStatus === 409) ? (
        <Stack mt="sm">
          <Refusal error={create.error} reasons="outreach.reasons" />
        </Stack>
      ) : null}
    </Paper>
  );
}
