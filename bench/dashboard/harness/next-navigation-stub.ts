// Harness stand-in for next/navigation: the grid's filters read the URL, nothing else is used.
export const useSearchParams = () => new URLSearchParams(typeof window === "undefined" ? "" : window.location.search);
export const usePathname = () => (typeof window === "undefined" ? "/" : window.location.pathname);
export const useRouter = () => ({ push() {}, replace() {}, refresh() {} });
