/**
 * How many banks of a region write their exports, shared by the built-in presets that read them
 * (each preset then says its columns and whatever differs).
 */

/** ";" separated, dates DD.MM.YYYY, amounts "-1.234,56": German, Danish and Norwegian banks; the encoding decided per file (banks have moved from Windows-1252 to UTF-8). */
export const SEMICOLON_DAY_MONTH_YEAR = {
  encoding: 'auto',
  delimiter: ';',
  header: true,
  dateFormat: 'DD.MM.YYYY',
  decimalSeparator: ',',
  thousandsSeparator: '.',
} as const;

/** "," separated, dates MM/DD/YYYY, amounts "1,234.56" in US dollars: US banks and card issuers. */
export const US_COMMA_MONTH_DAY_YEAR = {
  encoding: 'utf-8',
  delimiter: ',',
  header: true,
  dateFormat: 'MM/DD/YYYY',
  decimalSeparator: '.',
  thousandsSeparator: ',',
  currency: 'USD',
} as const;
