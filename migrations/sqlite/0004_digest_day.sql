-- The day (Paris) each user's daily digest last went out: "once a day" survives a restart and
-- holds across instances (it was kept in each worker's memory).
ALTER TABLE users ADD COLUMN digest_sent_on TEXT;
