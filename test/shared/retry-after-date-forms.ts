/** Test helpers: the three HTTP-date forms of RFC 9110, written from a Date. */
const longDays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const shortDays = longDays.map((day) => day.slice(0, 3));
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const two = (n: number): string => String(n).padStart(2, '0');
const time = (d: Date): string => `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;

/** Sun, 06 Nov 1994 08:49:37 GMT */
export function imfFixdate(d: Date): string {
  return d.toUTCString();
}

/** Sunday, 06-Nov-94 08:49:37 GMT */
export function rfc850Date(d: Date): string {
  const year = two(d.getUTCFullYear() % 100);
  return `${longDays[d.getUTCDay()]}, ${two(d.getUTCDate())}-${months[d.getUTCMonth()]}-${year} ${time(d)} GMT`;
}

/** Sun Nov  6 08:49:37 1994 */
export function asctimeDate(d: Date): string {
  const day = String(d.getUTCDate()).padStart(2, ' ');
  return `${shortDays[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${day} ${time(d)} ${d.getUTCFullYear()}`;
}
