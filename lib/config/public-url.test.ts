import { afterEach, describe, expect, it } from "vitest";
import { configuredPublicUrl, siteOf } from "@/lib/config/public-url";

describe("the dashboard's public address", () => {
  afterEach(() => delete process.env.SWITCHYARD_PUBLIC_URL);

  it("is SWITCHYARD_PUBLIC_URL without its trailing slash when set; else what the request says", () => {
    expect(configuredPublicUrl({ SWITCHYARD_PUBLIC_URL: " https://yard.example.com/ " })).toBe("https://yard.example.com");
    expect(configuredPublicUrl({ SWITCHYARD_PUBLIC_URL: "" })).toBeNull();
    const headers = new Headers({ origin: "http://10.0.0.5:3000", host: "10.0.0.5:3000" });
    expect(siteOf(headers, "http://localhost")).toBe("http://10.0.0.5:3000");
    expect(siteOf(new Headers({ origin: "null", host: "yard:3000", "x-forwarded-proto": "https" }), "http://localhost")).toBe("https://yard:3000");
    expect(siteOf(new Headers({ host: "yard:3000" }), "http://localhost")).toBe("http://yard:3000");
    expect(siteOf(new Headers(), "http://localhost:9")).toBe("http://localhost:9");
    process.env.SWITCHYARD_PUBLIC_URL = "https://yard.example.com/";
    expect(siteOf(headers, "http://localhost")).toBe("https://yard.example.com");
  });
});
