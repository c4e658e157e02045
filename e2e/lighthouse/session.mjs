// What the Lighthouse scripts share: the browser they drive and a signed-in learner of the demo workspace.

export const chromePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const learner = { email: 'learner1@demo.covey.test', password: 'covey-demo-1' };

/** Signs the learner in through the API and leaves the tokens where the SPA looks for them. */
export async function signIn(page, baseUrl) {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(learner),
  });
  if (!response.ok) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  const { accessToken, refreshToken, user } = await response.json();
  await page.goto(`${baseUrl}/robots.txt`);
  // What the app keeps after signing in (lib/token-storage.ts): the tokens and the profile GET /me gave.
  await page.evaluate(
    (session) => {
      localStorage.setItem('covey.accessToken', session.accessToken);
      localStorage.setItem('covey.refreshToken', session.refreshToken);
      localStorage.setItem('covey.profile', JSON.stringify(session.user));
    },
    { accessToken, refreshToken, user },
  );
}
