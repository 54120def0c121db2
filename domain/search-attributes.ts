import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes: what ops filter bank connections by in the Temporal UI. No personal data. */
export const BankConnectionStatus = defineSearchAttributeKey('BankConnectionStatus', SearchAttributeType.KEYWORD);
export const TenantId = defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD);
export const InstitutionId = defineSearchAttributeKey('InstitutionId', SearchAttributeType.KEYWORD);
export const ConsentExpiresAt = defineSearchAttributeKey('ConsentExpiresAt', SearchAttributeType.DATETIME);
export const LastSyncAt = defineSearchAttributeKey('LastSyncAt', SearchAttributeType.DATETIME);

export const SEARCH_ATTRIBUTES = [BankConnectionStatus, TenantId, InstitutionId, ConsentExpiresAt, LastSyncAt];
