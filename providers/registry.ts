import type { Institution, Provider } from './provider.js';

/** The institutions a deployment offers, and the provider that talks to each. */
export interface ProviderRegistry {
  institutions(country?: string): Institution[];
  institution(id: string): Institution | undefined;
  /** The provider for an institution; throws for an id that is not configured. */
  provider(institutionId: string): Provider;
}

export function createProviderRegistry(entries: readonly { institution: Institution; provider: Provider }[]): ProviderRegistry {
  const byId = new Map(entries.map((entry) => [entry.institution.id, entry]));
  return {
    institutions: (country) =>
      entries.map((entry) => entry.institution).filter((institution) => !country || institution.countries.includes(country.toUpperCase())),
    institution: (id) => byId.get(id)?.institution,
    provider: (institutionId) => {
      const entry = byId.get(institutionId);
      if (!entry) throw new Error(`institution ${institutionId} is not configured`);
      return entry.provider;
    },
  };
}
