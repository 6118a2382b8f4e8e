-- Server / Data Center listings carry no default branch: it is read per repository, a few per scrape. This records when
-- it was last read (null: never), so the reads go to new and unknown repositories first, oldest read first.
alter table repositories add column default_branch_read_at timestamptz;
