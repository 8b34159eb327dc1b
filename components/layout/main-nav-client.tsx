"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/", label: "Home" },
  { href: "/daily", label: "Daily" },
  { href: "/hourly", label: "Hourly" },
  { href: "/services", label: "Services" },
  { href: "/tasks", label: "Tasks" },
  { href: "/incidents", label: "Incidents" },
  { href: "/channels", label: "Channels" },
  { href: "/workers", label: "Workers" },
  { href: "/trends", label: "Trends" },
  { href: "/audit", label: "Audit" },
];
/** Only admins manage accounts (app/people), so only they see the link. */
const ADMIN_LINKS = [{ href: "/people", label: "People" }];

/** The main navigation; the current section is marked for screen readers and by an underline. */
export function MainNav({ admin = false }: { admin?: boolean }) {
  const pathname = usePathname();
  return (
    <ul className="flex items-center gap-1 overflow-x-auto text-sm">
      {(admin ? [...LINKS, ...ADMIN_LINKS] : LINKS).map(({ href, label }) => {
        const current = href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
        return (
          <li key={href}>
            <Link
              href={href}
              aria-current={current ? "page" : undefined}
              className={`block rounded px-2 py-1 whitespace-nowrap hover:bg-zinc-100 dark:hover:bg-zinc-800 ${
                current ? "font-semibold underline decoration-2 underline-offset-4" : "text-zinc-600 dark:text-zinc-300"
              }`}
            >
              {label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
