import { renderToString } from "react-dom/server";
import type { HomeData } from "@/lib/presenters/get-home-data";
import { HomeApp, newClient } from "./home-app";

/** Server-render the home page's tree to HTML, as Next does for the page's first response. */
export function renderHome(data: HomeData): string {
  return renderToString(<HomeApp data={data} client={newClient()} />);
}
