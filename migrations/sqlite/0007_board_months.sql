-- The needs board counts a year at a time: per day, that is up to 365 x communes x themes
-- x publics rows to add up (650 ms at a million responses). The same counts per month
-- make a year a few thousand rows; days are read only for the ends of a span that do
-- not cover a whole month (a meeting's snapshot, "1 January to the meeting day").
CREATE TABLE theme_tally_month (
    theme_code TEXT NOT NULL,
    commune_code TEXT NOT NULL,
    public_code TEXT NOT NULL,
    month TEXT NOT NULL,
    responses BIGINT NOT NULL,
    PRIMARY KEY (theme_code, commune_code, public_code, month)
);
INSERT INTO theme_tally_month (theme_code, commune_code, public_code, month, responses)
SELECT theme_code, commune_code, public_code, substr(day, 1, 7), SUM(responses)
FROM theme_tally GROUP BY theme_code, commune_code, public_code, substr(day, 1, 7);
CREATE INDEX theme_tally_day ON theme_tally (day);
