// A real OpenID provider (npm oidc-provider) for the belajar.id browser tests, on 127.0.0.1 only.
// Usage: node provider.mjs PORT APP_BASE_URL   (the app's /oauth2callback is its one redirect URI)
// Test accounts only; the client secret below is a test value, never used anywhere else.
import Provider from 'oidc-provider';

const [port, app] = [Number(process.argv[2]), process.argv[3]];
if (!port || !app) {
  console.error('usage: node provider.mjs PORT APP_BASE_URL');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;

// Log in with the account id (any password): devInteractions' form.
const ACCOUNTS = {
  operator: { email: 'operator@belajar.id', email_verified: true, hd: 'belajar.id', name: 'Operator Tertaut' },
  guru: { email: 'guru.baru@belajar.id', email_verified: true, hd: 'belajar.id', name: 'Guru Belum Tertaut' },
  luar: { email: 'kepala@gmail.com', email_verified: true, name: 'Alamat di Luar Domain' },
  belum: { email: 'belum.verif@belajar.id', email_verified: false, hd: 'belajar.id', name: 'Belum Diverifikasi' },
  hdlain: { email: 'hd.lain@belajar.id', email_verified: true, hd: 'sekolah.example', name: 'hd Lain' },
};

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'siaga-test',
    client_secret: 'test-only-client-secret',
    redirect_uris: [`${app}/oauth2callback`, `${issuer}/probe`],
    post_logout_redirect_uris: [`${app}/oauth2callback`],
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  claims: { openid: ['sub'], email: ['email', 'email_verified', 'hd'], profile: ['name'] },
  conformIdTokenClaims: false, // st.login reads the claims from the ID token, as from Google's
  cookies: { keys: ['test-only-cookie-key-not-a-secret'] },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { logoutSource } },
  async findAccount(ctx, id) {
    const claims = ACCOUNTS[id];
    return claims && { accountId: id, claims: async () => ({ sub: id, ...claims }) };
  },
  // A first-party client: the grant is given without a consent page.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

async function logoutSource(ctx, form) {
  ctx.body = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Logout</title></head><body>
    <h1>Sign out of the test provider?</h1>${form}
    <button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button></body></html>`;
}

provider.listen(port, '127.0.0.1', () => console.log(`oidc-provider listening on ${issuer}`));
