// A typed Covey client: openapi-fetch over the types generate-client.ts wrote to ./covey-api.d.ts. It uploads a
// group's logo (multipart, field `file`) and downloads the group's learners as CSV (Accept: text/csv).
import createClient from 'openapi-fetch';
import type { paths } from './covey-api.js';

export function coveyClient(baseUrl: string, token: string) {
  return createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${token}` } });
}

export async function uploadLogoAndDownloadLearners(baseUrl: string, token: string, group: string, logo: Blob) {
  const covey = coveyClient(baseUrl, token);
  const uploaded = await covey.PUT('/api/v1/groups/{group}/logo', {
    params: { path: { group } },
    body: { file: logo },
    bodySerializer: (body) => {
      const form = new FormData();
      form.append('file', body.file, 'logo.png');
      return form;
    },
  });
  if (uploaded.error) throw new Error(`upload: ${uploaded.error.code}: ${uploaded.error.detail}`);
  const logoUrl = uploaded.data.logoUrl;

  const csv = await covey.GET('/api/v1/groups/{group}/stats/learners', {
    params: { path: { group } },
    headers: { accept: 'text/csv' },
    parseAs: 'text',
  });
  if (csv.error) throw new Error(`learners: ${csv.error.code}`);
  return { logoUrl, csv: csv.data as string, contentType: csv.response.headers.get('content-type') };
}
