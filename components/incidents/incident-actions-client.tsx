"use client";

import { ConfirmAction } from "@/components/actions/confirm-action-client";

// Acknowledge ("someone is on it") and resolve by hand: audited operator actions, confirmed in
// the layout's dialog with a sentence that says what will happen.

export function IncidentActions({ id, what, acknowledged }: { id: number; what: string; acknowledged: boolean }) {
  return (
    <div className="flex flex-wrap gap-2">
      {acknowledged ? null : (
        <ConfirmAction
          small
          label="Acknowledge"
          ariaLabel={`Acknowledge incident ${id}`}
          title={`Acknowledge incident ${id}`}
          sentence={`Acknowledge "${what}": the incident stays open and shows you as the one on it.`}
          request={{ url: `/api/v1/incidents/${id}/acknowledge`, body: {} }}
        />
      )}
      <ConfirmAction
        small
        danger
        label="Resolve"
        ariaLabel={`Resolve incident ${id}`}
        title={`Resolve incident ${id}`}
        sentence={`Resolve "${what}" by hand: a resolve message goes to its channels, and it opens again only for a new run.`}
        request={{ url: `/api/v1/incidents/${id}/resolve`, body: {} }}
      />
    </div>
  );
}
