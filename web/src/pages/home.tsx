export function HomePage() {
  return <h1 className="text-xl font-semibold">Live now</h1>;
}
