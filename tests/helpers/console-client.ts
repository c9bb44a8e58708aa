// A browser-less client for the workers' console: keeps cookies, reads the CSRF token from the
// pages, follows nothing by itself (tests look at redirects).
export interface ConsoleResponse {
  status: number;
  location: string | null;
  text: string;
  headers: Headers;
  setCookies: string[];
}

export class ConsoleClient {
  readonly cookies = new Map<string, string>();
  csrf = '';
  constructor(
    readonly base: string,
    readonly headers: Record<string, string> = {},
  ) {}

  private remember(res: Response): string[] {
    const set = res.headers.getSetCookie();
    for (const c of set) {
      const [pair = ''] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      if (!value || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return set;
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(method: string, path: string, form?: Record<string, string | string[]>, extra: Record<string, string> = {}): Promise<ConsoleResponse> {
    const headers: Record<string, string> = { ...this.headers, ...extra };
    if (this.cookies.size) headers.cookie = this.cookieHeader();
    let body: string | undefined;
    if (form) {
      const p = new URLSearchParams();
      for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
      body = p.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(`${this.base}${path}`, { method, headers, body, redirect: 'manual' });
    const setCookies = this.remember(res);
    const text = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(text);
    if (m?.[1] && !path.startsWith('/console/login')) this.csrf = m[1];
    return { status: res.status, location: res.headers.get('location'), text, headers: res.headers, setCookies };
  }

  get(path: string) {
    return this.request('GET', path);
  }

  /** A form post with this session's CSRF token (read from the last page), unless the form gives its own. */
  post(path: string, form: Record<string, string | string[]> = {}, extra: Record<string, string> = {}) {
    return this.request('POST', path, { _csrf: this.csrf, ...form }, extra);
  }

  /** Signs in through the login form (its own double-submit token). */
  async login(login: string, password: string): Promise<ConsoleResponse> {
    const page = await this.request('GET', '/console/login');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const res = await this.request('POST', '/console/login', { _csrf: token, login, password });
    // The page after signing in carries the session's CSRF token (every page's log-out form has it).
    let next = res.status === 303 ? res.location : null;
    for (let i = 0; next && i < 3; i++) {
      const u = new URL(next, this.base);
      const r = await this.get(u.pathname + u.search);
      next = r.status === 303 ? r.location : null;
    }
    return res;
  }

  /** Loads a page to pick up its CSRF token, returns it. */
  async page(path: string): Promise<ConsoleResponse> {
    return this.get(path);
  }

  /** The flash message the next page shows (reads it, so it is shown once). */
  async flash(path: string): Promise<string> {
    const r = await this.get(path);
    return /data-testid="flash">([^<]*)</.exec(r.text)?.[1] ?? '';
  }
}
