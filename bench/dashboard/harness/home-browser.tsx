import { hydrateRoot } from "react-dom/client";
import type { HomeData } from "@/lib/presenters/get-home-data";
import { HomeApp, newClient } from "./home-app";

// Hydrates the server's HTML with the same data, like the app's client bundle does.
performance.mark("script-start");
const data = JSON.parse(document.getElementById("home-data")!.textContent!) as HomeData;
performance.mark("hydrate-start");
hydrateRoot(document.getElementById("root")!, <HomeApp data={data} client={newClient()} />);
