/**
 * The archive site's page shell and style sheet. No script anywhere: every page reads and works
 * without JavaScript. The style sheet is a file of its own, named by its content hash, so the
 * CloudFront CSP can say `style-src 'self'` and the file can be cached for a year.
 */
import { createHash } from 'node:crypto';
import { escapeHtml } from '../render/safe.ts';

export interface SiteBrand {
  readonly name: string;
  /** Link and rule colour, `#rgb`/`#rrggbb`, dark enough for text on white (the email's rule). */
  readonly accentColor: string;
}

export function styleSheet(brand: SiteBrand): string {
  return `:root{--accent:${brand.accentColor};--ink:#1a1a1a;--muted:#555;--rule:#d6d6d6}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:Georgia,'Times New Roman',serif;color:var(--ink);background:#fff;line-height:1.55;font-size:1.0625rem}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.skip{position:absolute;left:-999px}
.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:1}
header.masthead{border-bottom:4px solid var(--accent);padding:1rem 1rem .75rem;max-width:46rem;margin:0 auto}
header.masthead a.brand{color:var(--ink);text-decoration:none;font-size:1.6rem;font-weight:bold}
header.masthead nav{font-family:Helvetica,Arial,sans-serif;font-size:.95rem;margin-top:.25rem}
header.masthead nav a{margin-right:1rem}
main{max-width:46rem;margin:0 auto;padding:0 1rem 2rem}
h1{font-size:1.7rem;line-height:1.25;margin:1.25rem 0 .25rem}
.dateline{color:var(--muted);font-family:Helvetica,Arial,sans-serif;margin:0 0 1rem}
.story{border-top:1px solid var(--rule);padding:1rem 0}
.story h2,.story h3{font-size:1.3rem;line-height:1.3;margin:0 0 .35rem}
.story h2 a,.story h3 a{color:var(--ink)}
.meta,.thread,.also{font-family:Helvetica,Arial,sans-serif;font-size:.9rem;color:var(--muted);margin:.25rem 0}
.summary{padding-left:1.1rem;margin:.5rem 0}
.summary li{margin:.35rem 0}
.source{color:var(--muted);white-space:nowrap}
.figures{list-style:none;padding:0;margin:.5rem 0;font-family:Helvetica,Arial,sans-serif;font-size:.95rem}
.differ{border-left:3px solid var(--accent);padding-left:.75rem;margin:.5rem 0;font-family:Helvetica,Arial,sans-serif;font-size:.95rem}
.differ ul{list-style:none;padding:0;margin:.25rem 0}
.days{list-style:none;padding:0}
.days li{padding:.4rem 0;border-bottom:1px solid var(--rule)}
.pager{display:flex;gap:1rem;font-family:Helvetica,Arial,sans-serif;margin-top:1rem}
.signup{border:1px solid var(--rule);padding:1rem;margin:1.5rem 0;font-family:Helvetica,Arial,sans-serif}
.signup h2{margin-top:0;font-size:1.2rem}
.signup label{display:block;font-weight:bold;margin-bottom:.25rem}
.signup input[type=email],form.prefs select,form.prefs input{font:inherit;padding:.5rem;border:1px solid #767676;width:100%;max-width:22rem}
.hp{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}
button{font:inherit;font-family:Helvetica,Arial,sans-serif;background:var(--accent);color:#fff;border:0;padding:.6rem 1.2rem;margin-top:.5rem;cursor:pointer}
footer{max-width:46rem;margin:0 auto;padding:1rem;border-top:1px solid var(--rule);font-family:Helvetica,Arial,sans-serif;font-size:.9rem;color:var(--muted)}
`;
}

/** `style-<first 12 hex of its SHA-256>.css`: a new look is a new file, so caches never serve a stale one. */
export function styleSheetName(css: string): string {
  return `style-${createHash('sha256').update(css).digest('hex').slice(0, 12)}.css`;
}

export interface PageShell {
  readonly brand: SiteBrand;
  readonly title: string;
  readonly description: string;
  readonly styleSheet: string;
  /** Links to the feeds, relative to the page. */
  readonly feedLinks: boolean;
  /** Link to the site's home (relative). */
  readonly home: string;
  readonly body: string;
  readonly footer: string;
}

export function page(shell: PageShell): string {
  const e = escapeHtml;
  const feeds = shell.feedLinks
    ? `<link rel="alternate" type="application/atom+xml" title="${e(shell.brand.name)} (Atom)" href="feed.xml">
<link rel="alternate" type="application/feed+json" title="${e(shell.brand.name)} (JSON Feed)" href="feed.json">`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(shell.title)}</title>
<meta name="description" content="${e(shell.description)}">
<meta name="referrer" content="no-referrer">
<link rel="stylesheet" href="${e(shell.styleSheet)}">
${feeds}
</head>
<body>
<a class="skip" href="#content">Skip to the stories</a>
<header class="masthead">
<a class="brand" href="${e(shell.home)}">${e(shell.brand.name)}</a>
<nav aria-label="Site"><a href="${e(shell.home)}">Latest</a><a href="${e(shell.home)}#archive">Archive</a><a href="feed.xml">Atom feed</a><a href="feed.json">JSON Feed</a></nav>
</header>
<main id="content">
${shell.body}
</main>
<footer>${shell.footer}</footer>
</body>
</html>
`;
}
