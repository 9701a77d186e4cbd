/**
 * Reference data shipped with the application as static JSON files generated from the
 * repository's CSVs (npm run generate). They are fetched on first use, never part of the
 * initial bundle, and cached for the session.
 */
import { useQuery } from '@tanstack/react-query';
import classifierUrl from './data/classifier.json?url';
import departmentsUrl from './data/departments.json?url';
import districtsUrl from './data/districts.json?url';
import { type Classifier, buildClassifier } from './classifier';

export interface Department {
  code: string;
  name: string;
  kind: string;
  district: string;
}
export interface District {
  code: string;
  name: string;
}

async function getJSON<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return (await res.json()) as T;
}

export const referenceLoaders = {
  classifier: async (): Promise<Classifier> =>
    buildClassifier((await getJSON<{ items: [string, number, string][] }>(classifierUrl)).items),
  departments: () => getJSON<Department[]>(departmentsUrl),
  districts: () => getJSON<District[]>(districtsUrl),
};

const forever = { staleTime: Infinity, gcTime: Infinity, retry: 2 } as const;

export function useClassifier() {
  return useQuery({ queryKey: ['reference', 'classifier'], queryFn: () => referenceLoaders.classifier(), ...forever });
}
export function useDepartments() {
  return useQuery({ queryKey: ['reference', 'departments'], queryFn: () => referenceLoaders.departments(), ...forever });
}
export function useDistricts() {
  return useQuery({ queryKey: ['reference', 'districts'], queryFn: () => referenceLoaders.districts(), ...forever });
}

/** A short department name for tables: "Комитет по управлению Железнодорожным районом". */
export function shortDepartmentName(name: string): string {
  return name.replace(/\s+администрации города Хабаровска$/, '').replace(/\s+города Хабаровска$/, '');
}
