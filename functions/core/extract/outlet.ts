/** Outlet names: an explicit site name, else the host of the article URL without "www.". */

export function hostOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const host = new URL(url).hostname.toLowerCase();
    return host.replace(/^(?:www\d?|m|amp|mobile)\./, '') || null;
  } catch {
    return null;
  }
}

export function outletFrom(name: string | null | undefined, url: string | null | undefined): string | null {
  const clean = name?.trim();
  if (clean) return clean;
  return hostOf(url);
}
