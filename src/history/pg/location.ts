/**
 * A database URL fit to show: the password (and any `password=` query parameter) removed, so
 * `location`, logs and errors never carry it.
 *
 * @example
 * displayUrl('postgres://app:s3cret@db:5432/runs') // 'postgres://app@db:5432/runs'
 */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    for (const key of [...u.searchParams.keys()]) if (/pass|secret|key/i.test(key)) u.searchParams.set(key, '***');
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1@').replace(/(password=)[^&\s]*/gi, '$1***'); // not a URL: a best effort
  }
}
