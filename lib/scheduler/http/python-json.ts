// The scheduler reads and writes Luigi's JSON through the one codec in lib/luigi-rpc.
export { JsonInputError, MAX_DEPTH, parsePythonJson } from "@/lib/luigi-rpc/python-json";
export { encodeEnvelope, encodeJson, JsonPieces, quote } from "@/lib/luigi-rpc/tornado-json";
