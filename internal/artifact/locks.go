package artifact

import "sync"

// keyedMutex hands out one mutex per key, created on demand and dropped
// when nobody holds or waits for it. The zero value is ready to use. Its
// locks order work within one process only; what must hold across
// processes is ordered by the stores (see gc.go).
type keyedMutex struct {
	mu    sync.Mutex
	locks map[string]*refMutex
}

type refMutex struct {
	sync.Mutex
	refs int
}

// Lock locks key and returns the function that unlocks it.
func (k *keyedMutex) Lock(key string) (unlock func()) {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]*refMutex{}
	}
	m := k.locks[key]
	if m == nil {
		m = &refMutex{}
		k.locks[key] = m
	}
	m.refs++
	k.mu.Unlock()

	m.Lock()
	return func() { k.release(key, m) }
}

// TryLock locks key when nobody holds or waits for it, and reports
// whether it did; the unlock function comes with true.
func (k *keyedMutex) TryLock(key string) (unlock func(), ok bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.locks == nil {
		k.locks = map[string]*refMutex{}
	}
	if k.locks[key] != nil {
		return nil, false
	}
	m := &refMutex{refs: 1}
	m.Lock()
	k.locks[key] = m
	return func() { k.release(key, m) }, true
}

func (k *keyedMutex) release(key string, m *refMutex) {
	m.Unlock()
	k.mu.Lock()
	if m.refs--; m.refs == 0 {
		delete(k.locks, key)
	}
	k.mu.Unlock()
}
