package idc

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
)

// The portal takes the access token in this header, not Authorization.
const bearerHeader = "X-Amz-Sso_bearer_token"

const defaultPageSize = 100

// signedIn checks the request's access token. The caller holds s.mu.
func (s *Server) signedIn(r *http.Request) *apiError {
	if !s.access[r.Header.Get(bearerHeader)].valid(s.opts.Now()) {
		return apiErr(http.StatusUnauthorized, "UnauthorizedException", "Session token not found or invalid")
	}
	return nil
}

func (s *Server) getRoleCredentials(w http.ResponseWriter, r *http.Request) {
	account, role := r.URL.Query().Get("account_id"), r.URL.Query().Get("role_name")
	if account == "" || role == "" {
		apiErr(http.StatusBadRequest, "InvalidRequestException", "account_id and role_name are required").writePortal(w)
		return
	}
	s.mu.Lock()
	if e := s.signedIn(r); e != nil {
		s.mu.Unlock()
		e.writePortal(w)
		return
	}
	creds, granted := s.grants[account][role]
	expiration := s.opts.Now().Add(s.opts.RoleCredentialsTTL).UnixMilli()
	s.mu.Unlock()
	if !granted {
		apiErr(http.StatusForbidden, "ForbiddenException", "No access").writePortal(w)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"roleCredentials": map[string]any{
			"accessKeyId":     creds.AccessKeyID,
			"secretAccessKey": creds.SecretAccessKey,
			"sessionToken":    creds.SessionToken,
			"expiration":      expiration,
		},
	})
}

func (s *Server) listAccounts(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	e := s.signedIn(r)
	var accounts []map[string]string
	for _, id := range slices.Sorted(maps.Keys(s.grants)) {
		name := s.accountNames[id]
		if name == "" {
			name = "account-" + id
		}
		accounts = append(accounts, map[string]string{
			"accountId":    id,
			"accountName":  name,
			"emailAddress": "aws+" + id + "@example.com",
		})
	}
	maxPage := s.opts.MaxPageSize
	s.mu.Unlock()
	if e != nil {
		e.writePortal(w)
		return
	}
	page, next, e := paginate(r, accounts, maxPage)
	if e != nil {
		e.writePortal(w)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"accountList": page, "nextToken": next})
}

func (s *Server) listAccountRoles(w http.ResponseWriter, r *http.Request) {
	account := r.URL.Query().Get("account_id")
	if account == "" {
		apiErr(http.StatusBadRequest, "InvalidRequestException", "account_id is required").writePortal(w)
		return
	}
	s.mu.Lock()
	e := s.signedIn(r)
	var roles []map[string]string
	for _, name := range slices.Sorted(maps.Keys(s.grants[account])) {
		roles = append(roles, map[string]string{"roleName": name, "accountId": account})
	}
	maxPage := s.opts.MaxPageSize
	s.mu.Unlock()
	if e != nil {
		e.writePortal(w)
		return
	}
	page, next, e := paginate(r, roles, maxPage)
	if e != nil {
		e.writePortal(w)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"roleList": page, "nextToken": next})
}

// logout ends the token's sign-in: its access and refresh tokens stop
// working.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	e := s.signedIn(r)
	if e == nil {
		s.access[r.Header.Get(bearerHeader)].session.ended = true
	}
	s.mu.Unlock()
	if e != nil {
		e.writePortal(w)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// paginate cuts items by the max_result and next_token query parameters,
// and by maxPage when it is positive. The token is simply the offset of the
// next page.
func paginate[T any](r *http.Request, items []T, maxPage int) ([]T, *string, *apiError) {
	size, start := defaultPageSize, 0
	var err error
	if v := r.URL.Query().Get("max_result"); v != "" {
		if size, err = strconv.Atoi(v); err != nil || size < 1 {
			return nil, nil, apiErr(http.StatusBadRequest, "InvalidRequestException", "max_result must be a positive integer")
		}
	}
	if v := r.URL.Query().Get("next_token"); v != "" {
		if start, err = strconv.Atoi(v); err != nil || start < 0 || start > len(items) {
			return nil, nil, apiErr(http.StatusBadRequest, "InvalidRequestException", "next_token is invalid")
		}
	}
	if maxPage > 0 {
		size = min(size, maxPage)
	}
	end := min(start+size, len(items))
	page := items[start:end]
	if page == nil {
		page = []T{}
	}
	if end == len(items) {
		return page, nil, nil
	}
	next := strconv.Itoa(end)
	return page, &next, nil
}
