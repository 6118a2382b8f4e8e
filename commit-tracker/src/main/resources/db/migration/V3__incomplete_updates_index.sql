-- A complete expansion looks up the incomplete updates of its ref move: few, so a partial index finds them without
-- reading the whole history of the branch (or the table) on every batch.
create index branch_updates_incomplete on branch_updates (repository_key, branch) where not commits_complete;
