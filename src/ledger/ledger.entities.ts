import { ClientEntity } from './entities/client.entity';
import { CreditNoteEntity } from './entities/credit-note.entity';
import { DiscountRequestEntity } from './entities/discount-request.entity';
import { DisputeEntity } from './entities/dispute.entity';
import { InvoiceEntity } from './entities/invoice.entity';
import { ProcessedEventEntity } from './entities/processed-event.entity';
import { SyncCursorEntity } from './entities/sync-cursor.entity';

export { ClientEntity, CreditNoteEntity, DiscountRequestEntity, DisputeEntity, InvoiceEntity, ProcessedEventEntity, SyncCursorEntity };

/** Every entity of the ledger; later features append their own lists in dataSourceOptions. */
export const ledgerEntities = [ClientEntity, InvoiceEntity, CreditNoteEntity, DisputeEntity, DiscountRequestEntity, SyncCursorEntity, ProcessedEventEntity];
