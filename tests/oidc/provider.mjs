// A real OpenID Connect provider (panva's oidc-provider, OpenID Certified) on 127.0.0.1 for the
// sign-in tests. Prints "PORT <n>" once it listens.
// Usage: node provider.mjs [CLIENT_ID] [--claims-at-userinfo]
//   --claims-at-userinfo: the provider's certified default, as Okta's org server does: an ID
//   token issued with an access token carries no scope claims (no e-mail); UserInfo has them.
//
// Besides the provider itself it serves a few test-only routes, so a test can produce ID tokens
// that a real sign-in never would (wrong issuer, expired, foreign key...) and rotate keys:
//   POST /test/mint   {"claims": {...}, "alg": "RS256"|"ES256", "key": "current"|"next"|"stranger"}
//                     -> the compact JWS, signed with that key (its kid in the header)
//   POST /test/rotate -> /jwks starts to list the "next" keys too
// The login form of the dev interactions accepts any login; a login with an "@" is the e-mail.
import http from 'node:http';
import * as jose from 'jose';
import Provider from 'oidc-provider';

const args = process.argv.slice(2);
const claimsAtUserInfo = args.includes('--claims-at-userinfo');
const clientId = args.find((a) => !a.startsWith('--')) || 'clusterra-console';

async function keyPair(alg, kid) {
  const { privateKey } = await jose.generateKeyPair(alg, { extractable: true });
  const jwk = await jose.exportJWK(privateKey);
  return { alg, kid, privateKey, jwk: { ...jwk, kid, alg, use: 'sig' } };
}

const current = [await keyPair('RS256', 'rsa-1'), await keyPair('ES256', 'ec-1')];
const next = [await keyPair('RS256', 'rsa-2'), await keyPair('ES256', 'ec-2')];
// Same kids as the current keys, different key material: a forged signature.
const stranger = [await keyPair('RS256', 'rsa-1'), await keyPair('ES256', 'ec-1')];
let rotated = false;

function publicJwk({ jwk }) {
  const { d, p, q, dp, dq, qi, ...pub } = jwk;
  return pub;
}

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      redirect_uris: ['http://127.0.0.1/'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      id_token_signed_response_alg: 'RS256',
    },
    {
      client_id: `${clientId}-es`,
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      redirect_uris: ['http://127.0.0.1/'],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      id_token_signed_response_alg: 'ES256',
    },
  ],
  jwks: { keys: current.map((k) => k.jwk) },
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  // false as Google does: the scopes' claims (e-mail) go into the ID token itself.
  conformIdTokenClaims: claimsAtUserInfo,
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, sub) {
    const email = sub.includes('@') ? sub : `${sub}@example.org`;
    return {
      accountId: sub,
      async claims() {
        return { sub, email, email_verified: true, name: sub.split('@')[0] };
      },
    };
  },
});
provider.on('server_error', (ctx, err) => console.error('oidc server_error', err));
const providerCallback = provider.callback();

function readBody(req) {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => resolve(data));
  });
}

function sendJson(res, status, value) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

server.on('request', async (req, res) => {
  const path = req.url.split('?')[0];
  if (req.method === 'POST' && path === '/test/mint') {
    const { claims = {}, alg = 'RS256', key = 'current' } = JSON.parse((await readBody(req)) || '{}');
    const set = { current, next, stranger }[key];
    const pair = set && set.find((k) => k.alg === alg);
    if (!pair) return sendJson(res, 400, { error: 'unknown alg or key' });
    const token = await new jose.SignJWT(claims)
      .setProtectedHeader({ alg, kid: pair.kid, typ: 'JWT' })
      .sign(pair.privateKey);
    return sendJson(res, 200, { token });
  }
  if (req.method === 'POST' && path === '/test/rotate') {
    rotated = true;
    return sendJson(res, 200, { rotated });
  }
  if (req.method === 'GET' && path === '/jwks') {
    const keys = (rotated ? current.concat(next) : current).map(publicJwk);
    return sendJson(res, 200, { keys });
  }
  return providerCallback(req, res);
});

console.log(`PORT ${server.address().port}`);
