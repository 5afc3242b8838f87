import type { Request, Response } from 'express';

/** What `/` shows until the portal exists: the product's name and where its API lives. */
export function landingPage(version: string) {
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Harbor-TS</title></head>
<body>
<h1>Harbor-TS</h1>
<p>A container registry shaped like Harbor (${escapeHtml(version)}).</p>
<ul>
<li>REST API: <a href="/api/v2.0/systeminfo">/api/v2.0</a> (try <a href="/api/v2.0/health">/api/v2.0/health</a>)</li>
<li>Registry: <code>docker login</code>, <code>docker push</code> and <code>docker pull</code> against this host</li>
</ul>
</body>
</html>
`;
  return (_req: Request, res: Response): void => {
    res.type('html').send(html);
  };
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
