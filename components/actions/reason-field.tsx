import { FIELD } from "@/components/actions/button-styles";

// The reason an operator gives for an action: kept in the audit log beside who did what.

export function ReasonField({ id, value, onChange, required = false }: { id: string; value: string; onChange: (value: string) => void; required?: boolean }) {
  return (
    <label htmlFor={id} className="block space-y-1 text-sm">
      <span>Reason ({required ? "required" : "optional"}, kept in the audit log)</span>
      <textarea
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        rows={2}
        maxLength={1000}
        className={FIELD}
      />
    </label>
  );
}
