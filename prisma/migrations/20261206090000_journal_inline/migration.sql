-- A journal row is 0.6 to 2.2 kB for a group commit of Luigi's one-in-flight workers. The default
-- toast_tuple_target (about 2 kB) moved nearly half of them out of line (into the TOAST table and
-- its index) inside the commit path. Rows up to a page now stay in line.
ALTER TABLE scheduler_journal SET (toast_tuple_target = 8160);
