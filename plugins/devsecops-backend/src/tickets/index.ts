export { TicketService } from './TicketService';
export type { TicketCaller, TicketServiceOptions } from './TicketService';
export { TicketStore } from './TicketStore';
export type { SecretTicketClosure } from './TicketStore';
