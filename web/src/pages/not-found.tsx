import { Link } from 'wouter';
import { Button } from '../components/ui/button';
import { useDocumentTitle } from '../lib/use-document-title';

export function NotFoundPage() {
  useDocumentTitle('Nothing here');
  return (
    <div className="flex flex-col items-center gap-4 py-20 text-center">
      <h1 className="text-2xl font-semibold">Nothing here</h1>
      <p className="text-muted">This page does not exist, or the stream link is incomplete.</p>
      <Button asChild>
        <Link href="/">See who is live</Link>
      </Button>
    </div>
  );
}
