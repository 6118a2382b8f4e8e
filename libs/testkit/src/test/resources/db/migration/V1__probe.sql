create sequence probe_note_seq start with 1 increment by 50;
create table probe_note (
    id bigint primary key,
    text varchar(200) not null
);
