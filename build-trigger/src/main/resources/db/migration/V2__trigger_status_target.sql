-- Where a commit status goes: the repository as the push named it (Bitbucket Server project keys keep their case, which
-- the lower-case repository key loses) and whether the ref is a branch or a tag (Server wants refs/heads/... or
-- refs/tags/...). Null on rows stored before; such rows get no Server status.
alter table build_trigger add column repository_owner varchar(300);
alter table build_trigger add column repository_slug varchar(300);
alter table build_trigger add column ref_type varchar(10);
