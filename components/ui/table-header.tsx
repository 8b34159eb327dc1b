import { TH, THEAD } from "@/components/ui/table";

/** A table's column headings, each a column header for screen readers. */
export function TableHeader({ columns }: { columns: string[] }) {
  return (
    <thead className={THEAD}>
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
