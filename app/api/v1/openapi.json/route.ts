// GET /api/v1/openapi.json – the control API's OpenAPI 3.1 document, generated from its zod schemas
import { NextResponse } from "next/server";
import { openApiDocument } from "@/lib/control/openapi";

export const dynamic = "force-static";

export function GET() {
  return NextResponse.json(openApiDocument());
}
