import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { DevsecopsClient } from '@devsecops-scorecard/plugin-devsecops-common';
import SecurityIcon from '@mui/icons-material/Security';
import { devsecopsApiRef } from './api';

const overviewRouteRef = createRouteRef();

const devsecopsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: devsecopsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DevsecopsClient({ discoveryApi, fetchApi }),
    }),
});

const overviewPage = PageBlueprint.make({
  params: {
    path: '/devsecops',
    routeRef: overviewRouteRef,
    title: 'DevSecOps',
    icon: <SecurityIcon fontSize="inherit" />,
    loader: () =>
      import('./components/OverviewPage').then(m => <m.OverviewContent />),
  },
});

/**
 * The DevSecOps scorecard plugin for the new frontend system.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'devsecops',
  title: 'DevSecOps',
  icon: <SecurityIcon fontSize="inherit" />,
  routes: { root: overviewRouteRef },
  extensions: [devsecopsApi, overviewPage],
});
