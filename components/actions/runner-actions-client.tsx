"use client";

import { runnerPauseRequest, runnerPauseSentence } from "@/components/actions/action-requests";
import { ConfirmAction } from "@/components/actions/confirm-action-client";

/** Pause or resume every runner (the fleet's switch in runner_control): the button that applies now. */
export function RunnerActions({ paused }: { paused: boolean }) {
  return paused ? (
    <ConfirmAction label="Resume runners" title="Resume every runner" sentence={runnerPauseSentence(false)} request={runnerPauseRequest(false)} />
  ) : (
    <ConfirmAction label="Pause runners" title="Pause every runner" sentence={runnerPauseSentence(true)} request={runnerPauseRequest(true)} danger />
  );
}
