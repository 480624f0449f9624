-- A process about to ask LL2 for a document now claims it as a lease (`fetch:<key>` in
-- `leases`) instead of a `fetching:<key>` row among the documents: drop any such row a
-- stopped process left behind.
DELETE FROM documents WHERE key LIKE 'fetching:%';
