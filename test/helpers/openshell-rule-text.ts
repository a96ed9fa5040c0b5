/** `openshell rule get` output as v0.0.111 prints it, for the rules parser and the requests view. */
export const E = '\x1b';
export const GET = `${E}[1m${E}[36mNetwork Rules:${E}[39m${E}[0m  (version 4, 2 chunks)

  ${E}[2mChunk:${E}[0m 11111111-aaaa-4bbb-8ccc-000000000001
  ${E}[2mStatus:${E}[0m ${E}[33mpending${E}[39m
  ${E}[2mRule:${E}[0m allow_api_github_com_443
  ${E}[2mBinary:${E}[0m /usr/bin/curl
  ${E}[2mConfidence:${E}[0m 65%
  ${E}[2mRationale:${E}[0m Allow curl to connect to api.github.com:443 (HTTPS) with L7 inspection. Allowed paths: GET /repos/o/r.
  ${E}[2mEndpoints:${E}[0m api.github.com:443 [L7 rest, allow GET /repos/o/r]
  ${E}[2mBinaries:${E}[0m /usr/bin/curl
  ${E}[2mHits:${E}[0m 3 (first seen 2026-11-28 10:00:00, last seen 2026-11-28 10:05:00)

  ${E}[2mChunk:${E}[0m 11111111-aaaa-4bbb-8ccc-000000000002
  ${E}[2mStatus:${E}[0m ${E}[33mpending${E}[39m
  ${E}[2mRule:${E}[0m allow_db_internal_5432
  ${E}[2mBinary:${E}[0m /usr/bin/psql
  ${E}[2mConfidence:${E}[0m 65%
  ${E}[2mRationale:${E}[0m Allow psql to connect to db.internal:5432 (PostgreSQL).
  ${E}[2mSecurity:${E}[0m ${E}[33mPort 5432 is a well-known database/service port.${E}[39m
  ${E}[2mEndpoints:${E}[0m db.internal:5432 [L4]
  ${E}[2mBinaries:${E}[0m /usr/bin/psql

`;
