// Entry of the panel's bundle.
import './litNonce';
import './app';
