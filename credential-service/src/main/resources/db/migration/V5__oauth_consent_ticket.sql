-- A consent starts as a ticket: an admin asks for a consent link, a browser opens it once. Only the ticket's
-- SHA-256 is stored; it is cleared when the browser begins the consent, so a link works once.
alter table oauth_state add column ticket_hash varchar(64);
create unique index oauth_state_ticket_hash on oauth_state (ticket_hash);
