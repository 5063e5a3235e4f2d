export { PortfolioSearchPage } from './PortfolioSearchPage';
export { PortfolioSearchBox } from './PortfolioSearchBox';
