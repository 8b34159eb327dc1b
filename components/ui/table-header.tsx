import { TH, THEAD } from "@/components/ui/table";

/** A table's column headings, each a column header for screen readers. */
export function TableHeader({ columns, className }: { columns: string[]; className?: string }) {
  return (
    <thead className={className ? `${THEAD} ${className}` : THEAD}>
      <tr>
        {columns.map((h) => (
          <th key={h} scope="col" className={TH}>
            {h}
          </th>
        ))}
      </tr>
    </thead>
  );
}
