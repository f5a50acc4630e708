/**
 * Writes a seed file's directory into the register, as docs/data-model.md lays it out:
 *   Organisation  pk `DIRECTORY`             sk `ORG#<code>`   code, kind, name, email, partnerships
 *   Partnership   pk `PARTNERSHIP#<id>`      sk `CONFIG`       partnership (a domain Partnership)
 *   User          pk `DIRECTORY`             sk `USER#<id>`    id, name, email, org, role
 * Plain puts: seeding twice writes the same items, and re-seeding an edited file updates them. Items whose
 * entry was removed from the file stay (nothing is deleted).
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OrganisationKind, Partnership } from '#domain/partnership.ts';
import type { Role } from './auth.ts';
import type { Seed } from './seed-schema.ts';

export interface OrganisationItem {
  pk: 'DIRECTORY';
  sk: `ORG#${string}`;
  code: string;
  kind: OrganisationKind;
  name: string;
  email: string;
  /** Ids of the partnerships the organisation is a member of, in seed order. */
  partnerships: string[];
}

export interface PartnershipItem {
  pk: `PARTNERSHIP#${string}`;
  sk: 'CONFIG';
  partnership: Partnership;
}

export interface UserItem {
  pk: 'DIRECTORY';
  sk: `USER#${string}`;
  id: string;
  name: string;
  email: string;
  org: string;
  role: Role;
}

export type DirectoryItem = OrganisationItem | PartnershipItem | UserItem;

/** The items a seed becomes, in the order they are written: organisations, partnerships, users. */
export function seedItems(seed: Seed): DirectoryItem[] {
  const organisations: OrganisationItem[] = seed.organisations.map((org) => ({
    pk: 'DIRECTORY',
    sk: `ORG#${org.code}`,
    code: org.code,
    kind: org.kind,
    name: org.name,
    email: org.email,
    partnerships: seed.partnerships.filter((p) => p.members.includes(org.code)).map((p) => p.id),
  }));
  const partnerships: PartnershipItem[] = seed.partnerships.map((p) => ({
    pk: `PARTNERSHIP#${p.id}`,
    sk: 'CONFIG',
    partnership: {
      id: p.id,
      name: p.name,
      members: [...p.members],
      ruleConfig: { name: p.ruleConfig.name, mha2025S46CommencementDate: p.ruleConfig.mha2025S46CommencementDate },
      responseDeadlineDays: p.responseDeadlineDays,
      funding: {
        agreedIcbShare: p.funding.agreedIcbShare,
        interimIcbShare: p.funding.interimIcbShare,
        interimLead: p.funding.interimLead,
        icbDisputeShare: p.funding.icbDisputeShare,
      },
      ...(p.disputes === undefined ? {} : { disputes: structuredClone(p.disputes) }),
      ...(p.apportionment === undefined
        ? {}
        : { apportionment: { policies: p.apportionment.policies.map((policy) => ({ ...structuredClone(policy), partnershipId: p.id })) } }),
      ...(p.panel === undefined ? {} : { panel: structuredClone(p.panel) }),
      ...(p.reviews === undefined ? {} : { reviews: structuredClone(p.reviews) }),
      ...(p.maturity === undefined ? {} : { maturity: structuredClone(p.maturity) }),
      ...(p.delays === undefined ? {} : { delays: structuredClone(p.delays) }),
    },
  }));
  const users: UserItem[] = seed.users.map((user) => ({
    pk: 'DIRECTORY',
    sk: `USER#${user.id}`,
    id: user.id,
    name: user.name,
    email: user.email,
    org: user.org,
    role: user.role,
  }));
  return [...organisations, ...partnerships, ...users];
}

export interface SeedSummary {
  organisations: number;
  partnerships: number;
  users: number;
}

/** Puts every item of the seed into TABLENAME (idempotent). */
export async function seedDirectory(client: DynamoDBDocumentClient, tableName: string, seed: Seed): Promise<SeedSummary> {
  const items = seedItems(seed);
  for (let i = 0; i < items.length; i += 10) {
    await Promise.all(items.slice(i, i + 10).map((item) => client.send(new PutCommand({ TableName: tableName, Item: item }))));
  }
  return { organisations: seed.organisations.length, partnerships: seed.partnerships.length, users: seed.users.length };
}

/** The token command `npm start` suggests: a commissioner of the first council of the first partnership. */
export function sampleTokenCommand(seed: Seed): string {
  const councils = new Set(seed.organisations.filter((o) => o.kind === 'la').map((o) => o.code));
  const org = seed.partnerships[0]?.members.find((code) => councils.has(code)) ?? seed.organisations[0]?.code ?? 'CODE';
  return `npx s117 token --org ${org} --role commissioner`;
}
