-- One rate budget per Bitrix24 portal, shared by every worker and process
-- that talks to it (the portal's leaky bucket counts per portal and source
-- address: B24DOCS settings/performance/limits.md). A row per portal holds
-- the tokens left and when they were counted (unix seconds, server clock);
-- each request takes one in a single UPDATE ... RETURNING.

CREATE TABLE rate_budget (
    portal  TEXT PRIMARY KEY,
    tokens  DOUBLE PRECISION NOT NULL,
    at      DOUBLE PRECISION NOT NULL
);
