import type { Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes.js';
import { SEARCH_ATTRIBUTES } from '../domain/search-attributes.js';

/**
 * Registers bankfeed's search attributes on a Temporal cluster that lacks them. Temporal Cloud
 * refuses this call (attributes are managed there with tcld or the web console), so a refusal
 * comes back as a warning instead of stopping start-up.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string | undefined> {
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = SEARCH_ATTRIBUTES.filter(({ name }) => !customAttributes?.[name]);
    if (missing.length > 0) {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map(({ name, type }) => [name, encodeSearchAttributeIndexedValueType(type)!])),
      });
    }
    return undefined;
  } catch (error) {
    const names = SEARCH_ATTRIBUTES.map((key) => key.name).join(', ');
    return `Could not register the search attributes ${names} in namespace ${namespace}: ${String(error)}`;
  }
}
