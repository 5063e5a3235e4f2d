import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  FrontendPlugin,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { DevsecopsClient } from '@devsecops-scorecard/plugin-devsecops-common';
import SecurityIcon from '@mui/icons-material/Security';
import GavelIcon from '@mui/icons-material/Gavel';
import GroupsIcon from '@mui/icons-material/Groups';
import FlagIcon from '@mui/icons-material/Flag';
import ManageSearchIcon from '@mui/icons-material/ManageSearch';
import { Content } from '@backstage/core-components';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import { devsecopsApiRef } from './api';

const overviewRouteRef = createRouteRef();
// Pages with a route ref get a nav item (the demo's sidebar places them under DevSecOps).
const exceptionsRouteRef = createRouteRef();
const exercisesRouteRef = createRouteRef();
const campaignsRouteRef = createRouteRef();
const searchRouteRef = createRouteRef();

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
      import('./components/OverviewPage').then(m => (
        <Content>
          <m.OverviewContent />
        </Content>
      )),
  },
});

const exceptionsPage = PageBlueprint.make({
  name: 'exceptions',
  params: {
    path: '/devsecops/exceptions',
    routeRef: exceptionsRouteRef,
    title: 'Exceptions',
    icon: <GavelIcon fontSize="inherit" />,
    loader: () =>
      import('./components/Exceptions').then(m => (
        <Content>
          <m.ExceptionsPage />
        </Content>
      )),
  },
});

const exercisesPage = PageBlueprint.make({
  name: 'exercises',
  params: {
    path: '/devsecops/exercises',
    routeRef: exercisesRouteRef,
    title: 'Exercises',
    icon: <GroupsIcon fontSize="inherit" />,
    loader: () =>
      import('./components/Exercises').then(m => (
        <Content>
          <m.ExercisesPage />
        </Content>
      )),
  },
});

const campaignsPage = PageBlueprint.make({
  name: 'campaigns',
  params: {
    path: '/devsecops/campaigns',
    routeRef: campaignsRouteRef,
    title: 'Campaigns',
    icon: <FlagIcon fontSize="inherit" />,
    loader: () =>
      import('./components/Campaigns').then(m => (
        <Content>
          <m.CampaignsPage />
        </Content>
      )),
  },
});

const searchPage = PageBlueprint.make({
  name: 'search',
  params: {
    path: '/devsecops/search',
    routeRef: searchRouteRef,
    title: 'Which services contain…',
    icon: <ManageSearchIcon fontSize="inherit" />,
    loader: () =>
      import('./components/PortfolioSearch').then(m => (
        <Content>
          <m.PortfolioSearchPage />
        </Content>
      )),
  },
});

const entitySecurityContent = EntityContentBlueprint.make({
  name: 'security',
  params: {
    path: '/security',
    title: 'Security',
    filter: { kind: 'component' },
    loader: () =>
      import('./components/EntitySecurity').then(m => <m.EntitySecurityContent />),
  },
});

const groupScorecardContent = EntityContentBlueprint.make({
  name: 'group-security',
  params: {
    path: '/security',
    title: 'Security',
    filter: { kind: 'group' },
    loader: () =>
      import('./components/ScopeSecurity').then(m => <m.ScopeSecurityContent />),
  },
});

const systemScorecardContent = EntityContentBlueprint.make({
  name: 'system-security',
  params: {
    path: '/security',
    title: 'Security',
    filter: { kind: 'system' },
    loader: () =>
      import('./components/ScopeSecurity').then(m => <m.ScopeSecurityContent />),
  },
});

/**
 * "My services" on the home page (`@backstage/plugin-home/alpha`): the signed-in user's teams'
 * services failing first, each with stage, gate, what fails and the one next step.
 */
const myServicesHomeWidget = HomePageWidgetBlueprint.make({
  name: 'my-services',
  params: {
    name: 'DevsecopsMyServices',
    title: 'My services',
    description: "Your teams' services, failing first: stage, release gate and the one next step",
    layout: { width: { minColumns: 4, defaultColumns: 6 }, height: { minRows: 4, defaultRows: 6 } },
    components: () => import('./components/StageGate').then(m => ({ Content: m.MyServicesContent })),
  },
});

const entitySecurityCard = EntityCardBlueprint.make({
  name: 'security',
  params: {
    filter: { kind: 'component' },
    loader: () =>
      import('./components/EntitySecurity').then(m => <m.EntitySecurityCard />),
  },
});

/**
 * The DevSecOps scorecard plugin for the new frontend system.
 * @alpha
 */
const devsecopsFrontendPlugin: FrontendPlugin = createFrontendPlugin({
  pluginId: 'devsecops',
  title: 'DevSecOps',
  icon: <SecurityIcon fontSize="inherit" />,
  routes: { root: overviewRouteRef },
  extensions: [
    devsecopsApi,
    overviewPage,
    exceptionsPage,
    exercisesPage,
    campaignsPage,
    searchPage,
    entitySecurityContent,
    groupScorecardContent,
    systemScorecardContent,
    entitySecurityCard,
    myServicesHomeWidget,
  ],
});

export default devsecopsFrontendPlugin;

/** The catalog table's stage and gate column, and the "my services" home card, for apps to mount. @alpha */
export { devsecopsStageGateColumn, MyServicesCard } from './components/StageGate';
