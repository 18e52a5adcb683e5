/**
 * RFC 3339 timestamps with the strictness of Go's time.Time.UnmarshalJSON (Go >= 1.20) and the
 * normalisation of its MarshalJSON (RFC3339Nano): coderd decodes every message `time` this way,
 * so a client sending anything else gets a 400, and what is stored is the normalised text.
 */
const PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

/** Returns Go's re-marshalled form of `text`, or undefined when Go would reject it. */
export function normalizeRfc3339(text: string): string | undefined {
  const match = PATTERN.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zulu, sign, offsetHour, offsetMinute] = match as unknown as string[];
  if (!validDate(Number(year), Number(month), Number(day))) return undefined;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;
  if (zulu === undefined && (Number(offsetHour) > 23 || Number(offsetMinute) > 59)) return undefined;
  const zone = zulu !== undefined || (offsetHour === '00' && offsetMinute === '00') ? 'Z' : `${sign}${offsetHour}:${offsetMinute}`;
  return `${year}-${month}-${day}T${hour}:${minute}:${second}${nanoFraction(fraction)}${zone}`;
}

export function isRfc3339(text: string): boolean {
  return normalizeRfc3339(text) !== undefined;
}

/** Go keeps nanoseconds (extra digits are dropped) and prints them without trailing zeros. */
function nanoFraction(fraction: string | undefined): string {
  const digits = (fraction ?? '').slice(0, 9).replace(/0+$/, '');
  return digits === '' ? '' : `.${digits}`;
}

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The current time as Go prints it: RFC 3339 in UTC with the fraction trimmed. */
export function nowRfc3339(date = new Date()): string {
  return date.toISOString().replace(/\.?0+Z$/, 'Z');
}
