// Whether the page is cut off from the studio (the browser door's WebSocket dropped).
import { api } from '../api/api';

class ConnectionStore {
  lost = $state(false);

  constructor() {
    api.onConnection((state) => (this.lost = state === 'lost'));
  }
}

export const connection = new ConnectionStore();
