-- The process's own machine name beside its host (lib/db/hosts/runners.ts, registerRunner): in
-- Kubernetes the host is the node and the instance the pod, whose name a container restart keeps.
-- A runner started again takes the pause of its own earlier life first, not of a sibling pod on
-- the same node that happened to start later. Rows written before this migration have none.
ALTER TABLE "runners" ADD COLUMN "instance" TEXT;
