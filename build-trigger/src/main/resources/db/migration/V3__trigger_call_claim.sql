-- Who is calling Jenkins for a CALLING row, and until when that claim holds (PostgreSQL's clock). The caller renews
-- the claim while its call runs; a redelivered or replayed push that finds the row CALLING recovers it only once the
-- claim has run out (its caller died), so a trigger still in flight is never sent twice. Null on rows stored before:
-- such a row is recovered at once, as before.
alter table build_trigger add column claimed_by varchar(64);
alter table build_trigger add column claimed_until timestamp with time zone;
