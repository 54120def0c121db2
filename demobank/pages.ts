/** The HTML of the SCA pages: login, account selection, and the bank's error pages. */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const STYLE = `
  :root { color-scheme: light; --ink: #14213d; --muted: #5c677d; --line: #d5dbe5; --brand: #0b6e4f; --brand-dark: #08543c; --bad: #b3261e; --bad-bg: #fdecea; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #eef2f6; }
  header { background: var(--brand); color: #fff; padding: 14px 24px; display: flex; align-items: center; gap: 10px; }
  header .logo { width: 28px; height: 28px; border-radius: 6px; background: #fff; color: var(--brand); display: grid; place-items: center; font-weight: 800; }
  header strong { font-size: 18px; letter-spacing: .2px; }
  header span.tag { margin-left: auto; font-size: 12px; background: rgba(255,255,255,.18); padding: 2px 8px; border-radius: 999px; }
  main { max-width: 440px; margin: 40px auto; padding: 0 16px; }
  .card { background: #fff; border: 1px solid var(--line); border-radius: 12px; padding: 28px; box-shadow: 0 1px 3px rgba(20,33,61,.08); }
  h1 { font-size: 22px; margin: 0 0 8px; }
  p.lead { color: var(--muted); margin: 0 0 20px; }
  label { display: block; font-weight: 600; margin: 16px 0 6px; }
  input[type=text], input[type=password] { width: 100%; padding: 10px 12px; border: 1px solid #aab4c3; border-radius: 8px; font: inherit; }
  input:focus-visible, button:focus-visible, a.button:focus-visible { outline: 3px solid #7cc4a4; outline-offset: 1px; }
  .actions { display: flex; gap: 12px; margin-top: 24px; }
  button, a.button { font: inherit; font-weight: 600; border-radius: 8px; padding: 10px 18px; cursor: pointer; border: 1px solid transparent; text-decoration: none; }
  button.primary { background: var(--brand); color: #fff; flex: 1; }
  button.primary:hover { background: var(--brand-dark); }
  button.secondary, a.secondary { background: #fff; color: var(--ink); border-color: #aab4c3; }
  .alert { background: var(--bad-bg); color: var(--bad); border: 1px solid #f3b8b3; border-radius: 8px; padding: 10px 12px; margin-bottom: 16px; }
  fieldset { border: 0; padding: 0; margin: 0; }
  legend { font-weight: 600; margin-bottom: 8px; padding: 0; }
  .account { display: flex; gap: 12px; align-items: flex-start; border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; margin-bottom: 10px; cursor: pointer; }
  .account:has(input:checked) { border-color: var(--brand); background: #f1faf6; }
  .account > span { flex: 1; }
  .account input { margin-top: 4px; width: 18px; height: 18px; accent-color: var(--brand); }
  .account .name { font-weight: 600; display: block; }
  .account .iban { font-family: ui-monospace, Menlo, Consolas, monospace; color: var(--muted); font-size: 14px; }
  .currency { float: right; font-size: 12px; font-weight: 700; color: var(--brand-dark); background: #e3f4ec; padding: 1px 8px; border-radius: 999px; }
  small.hint { color: var(--muted); display: block; margin-top: 18px; }
`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Demo Bank</title>
<style>${STYLE}</style>
</head>
<body>
<header><div class="logo" aria-hidden="true">D</div><strong>Demo Bank</strong><span class="tag">Sandbox</span></header>
<main><div class="card">
${body}
</div></main>
</body>
</html>`;
}

function alert(error: string | undefined): string {
  return error ? `<div class="alert" role="alert">${escapeHtml(error)}</div>` : '';
}

export interface LoginView {
  consentId: string;
  /** Where the PSU returns to, as a host name to show. */
  tppHost: string;
  validUntil: string;
  frequencyPerDay: number;
  username?: string;
  error?: string;
}

export function loginPage(view: LoginView): string {
  return layout(
    'Log in',
    `<h1>Log in to approve access</h1>
<p class="lead"><strong>${escapeHtml(view.tppHost)}</strong> asks to read your account information until ${escapeHtml(view.validUntil)}, up to ${view.frequencyPerDay} times a day without you.</p>
${alert(view.error)}
<form method="post" action="/sca/${escapeHtml(view.consentId)}/login">
  <label for="username">Username</label>
  <input type="text" id="username" name="username" autocomplete="username" required value="${escapeHtml(view.username ?? '')}">
  <label for="password">Password</label>
  <input type="password" id="password" name="password" autocomplete="current-password" required>
  <label for="otp">One-time code</label>
  <input type="text" id="otp" name="otp" inputmode="numeric" autocomplete="one-time-code" required>
  <div class="actions">
    <button type="submit" class="secondary" name="action" value="cancel" formnovalidate>Cancel</button>
    <button type="submit" class="primary" name="action" value="login">Log in</button>
  </div>
</form>
<small class="hint">Test user: <code>embedded</code>, password <code>12345</code>, one-time code <code>12345</code>.</small>`,
  );
}

export interface AccountChoice {
  resourceId: string;
  name: string;
  iban: string;
  currency: string;
}

export interface AccountsView {
  consentId: string;
  tppHost: string;
  ownerName: string;
  accounts: AccountChoice[];
  error?: string;
}

/** "DK5099990004711000001" as "DK50 9999 0004 7110 0000 1". */
const grouped = (iban: string) => iban.replace(/(.{4})(?=.)/g, '$1 ');

export function accountsPage(view: AccountsView): string {
  const choices = view.accounts
    .map(
      (account) => `<label class="account"><input type="checkbox" name="accounts" value="${escapeHtml(account.resourceId)}">
    <span><span class="currency">${escapeHtml(account.currency)}</span><span class="name">${escapeHtml(account.name)}</span><span class="iban">${escapeHtml(grouped(account.iban))}</span></span></label>`,
    )
    .join('\n  ');
  return layout(
    'Choose accounts',
    `<h1>Choose accounts</h1>
<p class="lead">Hello ${escapeHtml(view.ownerName)}. Which accounts may <strong>${escapeHtml(view.tppHost)}</strong> read?</p>
${alert(view.error)}
<form method="post" action="/sca/${escapeHtml(view.consentId)}/accounts">
  <fieldset><legend>Your accounts</legend>
  ${choices}
  </fieldset>
  <div class="actions">
    <button type="submit" class="secondary" name="action" value="cancel">Cancel</button>
    <button type="submit" class="primary" name="action" value="confirm">Allow access</button>
  </div>
</form>`,
  );
}

export interface MessageView {
  title: string;
  message: string;
  /** A way back to the provider: a link (the consent is settled) or a cancelling form post. */
  back?: { href: string } | { cancelAction: string };
}

export function messagePage(view: MessageView): string {
  const back = !view.back
    ? ''
    : 'href' in view.back
      ? `<div class="actions"><a class="button secondary" href="${escapeHtml(view.back.href)}">Back to the provider</a></div>`
      : `<form method="post" action="${escapeHtml(view.back.cancelAction)}"><div class="actions"><button type="submit" class="secondary" name="action" value="cancel">Back to the provider</button></div></form>`;
  return layout(view.title, `<h1>${escapeHtml(view.title)}</h1>\n<p class="lead" role="alert">${escapeHtml(view.message)}</p>\n${back}`);
}
