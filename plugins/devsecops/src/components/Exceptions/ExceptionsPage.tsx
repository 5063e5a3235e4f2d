import { Navigate, Route, Routes, useParams, useSearchParams } from 'react-router-dom';
import { ExceptionDetail } from './ExceptionDetail';
import { ExceptionQueue } from './ExceptionQueue';

function DetailRoute() {
  const { id } = useParams();
  return <ExceptionDetail id={id!} />;
}

/** The queue, or `?id=` links from before the detail page: sent to the exception's page. */
function QueueRoute() {
  const [params] = useSearchParams();
  const id = params.get('id');
  if (id) return <Navigate to={encodeURIComponent(id)} replace />;
  return <ExceptionQueue />;
}

/**
 * The exceptions pages: the queue at its root and one exception at `/<id>` (the links
 * notifications carry). Mount it at `/devsecops/exceptions/*`.
 */
export function ExceptionsPage() {
  return (
    <Routes>
      <Route path="/" element={<QueueRoute />} />
      <Route path="/:id" element={<DetailRoute />} />
    </Routes>
  );
}
